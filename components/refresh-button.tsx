"use client";

import { ReloadOutlined } from "@ant-design/icons";
import { App, Button, Space, Typography } from "antd";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/action-result";
import type { RefreshOutcome } from "@/lib/snapshots/dashboard-types";
import type { RefreshProgressView } from "@/lib/snapshots/read-refresh-progress";

/** How often the button asks how far the refresh has got. */
const POLL_MS = 1000;
/** An environment read for longer than this is named as the slow one. */
const SLOW_SECONDS = 2;

/**
 * Re-reads every stack and registry now, then re-renders the page from the new snapshots. While it waits it shows how
 * far the refresh has got (n of N environments) and which environment is slow, instead of a bare spinner. The page
 * passes the server action in, so this component depends on no route module.
 */
export function RefreshButton({ refresh }: { refresh: () => Promise<ActionResult<RefreshOutcome>> }) {
  const router = useRouter();
  const { message } = App.useApp();
  const [pending, startTransition] = useTransition();
  const progress = useRefreshProgress(pending);

  return (
    <Space>
      <span aria-live="polite">
        {pending && progress ? <Typography.Text type="secondary">{describeProgress(progress)}</Typography.Text> : null}
      </span>
      <Button
        icon={<ReloadOutlined />}
        loading={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await refresh();
            if (!result.ok) {
              message.error(result.error);
              return;
            }
            const { environments, failed, seconds } = result.value;
            if (failed > 0) {
              message.warning(`Refreshed ${environments} environments in ${seconds}s; ${failed} could not be read.`);
            } else {
              message.success(`Refreshed ${environments} environments in ${seconds}s.`);
            }
            router.refresh();
          })
        }
      >
        {pending ? "Refreshing…" : "Refresh"}
      </Button>
    </Space>
  );
}

function useRefreshProgress(active: boolean): RefreshProgressView | undefined {
  const [progress, setProgress] = useState<RefreshProgressView>();
  useEffect(() => {
    if (!active) {
      setProgress(undefined);
      return;
    }
    let stopped = false;
    const poll = async () => {
      try {
        const response = await fetch("/api/refresh/progress", { cache: "no-store" });
        if (response.ok && !stopped) setProgress((await response.json()) as RefreshProgressView);
      } catch {
        // A missed poll only leaves the last figures up; the refresh itself is unaffected.
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [active]);
  return progress;
}

/** "Read 23 of 50 environments (20 unchanged) · env-07 slow: 4.2 s" */
export function describeProgress(progress: RefreshProgressView): string {
  if (!progress.running || progress.total === 0) return "Starting…";
  const unchanged = progress.skipped > 0 ? ` (${progress.skipped} unchanged)` : "";
  const slow = progress.reading.find((r) => r.seconds >= SLOW_SECONDS);
  return `Read ${progress.done} of ${progress.total} environments${unchanged}${slow ? ` · ${slow.environment} slow: ${slow.seconds} s` : ""}`;
}
