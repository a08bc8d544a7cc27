/**
 * The demo's local accounts, one per kind of Slipway user; slipway.yaml's access grants give them their roles.
 * The passwords are public on purpose: the demo only listens on 127.0.0.1.
 */
export const DEMO_USERS = [
  { username: "dana", name: "Dana Delivery", email: "dana@slipway.example", password: "demo-dana-pass", role: "delivery manager (viewer everywhere)" },
  { username: "ben", name: "Ben Backend", email: "ben@slipway.example", password: "demo-ben-pass", role: "backend developer (requester on payments)" },
  { username: "gita", name: "Gita Gatekeeper", email: "gita@slipway.example", password: "demo-gita-pass", role: "gatekeeper (staging, production, payments)" },
  { username: "ada", name: "Ada Admin", email: "ada@slipway.example", password: "demo-ada-pass", role: "admin" },
] as const;
