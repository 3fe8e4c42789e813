// A hosted HTTP server that crashes: it listens on PORT, prints a line to stdout, then exits with
// code 3 after CRASH_AFTER_MS.
import http from "node:http";

const port = Number(process.env.PORT);
const server = http.createServer((_req, res) => {
  res.writeHead(503);
  res.end();
});
server.listen(port, "127.0.0.1", () => {
  console.log(`crash-server listening on ${port}`);
  setTimeout(() => process.exit(3), Number(process.env.CRASH_AFTER_MS ?? 300));
});
