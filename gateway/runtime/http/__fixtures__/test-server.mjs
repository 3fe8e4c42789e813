// A hosted HTTP test server: listens on PORT, starts a grandchild in its process group (printed to
// stdout), answers POST /mcp after `x-delay` ms with the headers it received, and streams two SSE
// events 400 ms apart on GET /mcp.
import { spawn } from "node:child_process";
import http from "node:http";

const grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
console.log(`grandchild ${grandchild.pid}`);
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname !== "/mcp") {
    res.writeHead(404);
    res.end();
    return;
  }
  if (req.method === "GET") {
    res.writeHead(200, { "content-type": "text/event-stream", "x-secret-upstream": "no" });
    res.write("data: one\n\n");
    setTimeout(() => res.end("data: two\n\n"), 400);
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json", "mcp-session-id": req.headers["mcp-session-id"] ?? `s-${process.pid}` });
      res.end(JSON.stringify({ pid: process.pid, headers: req.headers, body: Buffer.concat(chunks).toString(), query: url.search }));
    }, Number(req.headers["x-delay"] ?? 0));
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1");
