"use client";

import { ReloadOutlined } from "@ant-design/icons";
import { App, Button } from "antd";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { refreshStacks } from "@/app/refresh-action";

/** Re-reads every stack and registry now, then re-renders the page from the new snapshots. */
export function RefreshButton() {
  const router = useRouter();
  const { message } = App.useApp();
  const [pending, startTransition] = useTransition();

  return (
    <Button
      icon={<ReloadOutlined />}
      loading={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await refreshStacks();
          if (!result.ok) {
            message.error(result.error);
            return;
          }
          if (result.failed > 0) {
            message.warning(`Refreshed ${result.environments} environments in ${result.seconds}s; ${result.failed} could not be read.`);
          } else {
            message.success(`Refreshed ${result.environments} environments in ${result.seconds}s.`);
          }
          router.refresh();
        })
      }
    >
      {pending ? "Refreshing…" : "Refresh"}
    </Button>
  );
}
