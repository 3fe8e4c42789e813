import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

const nextConfig: NextConfig = {
  // pg, ioredis and pino are server-only Node packages; bundling them gains nothing.
  serverExternalPackages: ["pg", "ioredis", "pino", "nodemailer"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default withNextIntl(nextConfig);
