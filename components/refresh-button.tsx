"use client";

import { ReloadOutlined } from "@ant-design/icons";
import { App, Button } from "antd";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import type { ActionResult } from "@/lib/actions/action-result";
import type { RefreshOutcome } from "@/lib/snapshots/dashboard-types";

/**
 * Re-reads every stack and registry now, then re-renders the page from the new snapshots. The page passes the server
 * action in, so this component depends on no route module.
 */
export function RefreshButton({ refresh }: { refresh: () => Promise<ActionResult<RefreshOutcome>> }) {
  const router = useRouter();
  const { message } = App.useApp();
  const [pending, startTransition] = useTransition();

  return (
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
  );
}
