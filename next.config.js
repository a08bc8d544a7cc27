/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // `next dev` on 127.0.0.1 (the demo's address) is a cross-origin dev client without this.
  allowedDevOrigins: ["127.0.0.1"],
  // Native-ish or worker-based server packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["pino", "@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
