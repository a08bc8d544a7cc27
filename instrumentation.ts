// Next.js calls register() once when a server instance starts: the refresher reads every stack on start.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.SLIPWAY_REFRESH_ON_START !== "0") {
    const { startRefresher } = await import("@/lib/snapshots/refresher");
    startRefresher();
  }
}
