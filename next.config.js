const PERMISSIONS_POLICY = [
  "camera=()",
  "microphone=()",
  "geolocation=()",
  "payment=()",
  "usb=()",
  "serial=()",
  "bluetooth=()",
  "hid=()",
  "midi=()",
  "magnetometer=()",
  "gyroscope=()",
  "accelerometer=()",
  "display-capture=()",
  "browsing-topics=()",
].join(", ");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A second build folder lets a benchmark or a parallel run build without touching the demo's .next.
  distDir: process.env.SLIPWAY_DIST_DIR || ".next",
  // The container image (Dockerfile) builds with SLIPWAY_STANDALONE=1: a self-contained server.js with only the
  // node_modules it traces. Not by default: `next start` (the demo, the browser tests) does not serve standalone output.
  ...(process.env.SLIPWAY_STANDALONE === "1" && { output: "standalone" }),
  poweredByHeader: false,
  typescript: { tsconfigPath: "tsconfig.next.json" },
  // forbidden() renders app/forbidden.tsx with a real 403 status when a page is outside the user's role.
  experimental: { authInterrupts: true },
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
          // Browser features Slipway never uses. The Content-Security-Policy needs a fresh nonce per response: proxy.ts.
          { key: "Permissions-Policy", value: PERMISSIONS_POLICY },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
