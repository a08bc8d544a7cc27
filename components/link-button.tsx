"use client";

import { Button, type ButtonProps } from "antd";
import { useRouter } from "next/navigation";
import type { MouseEvent, ReactNode } from "react";

/**
 * A link that looks like a button, navigating client-side like next/link; modified clicks (new tab, new window)
 * keep the browser's default.
 */
export function LinkButton({ href, type, children }: { href: string; type?: ButtonProps["type"]; children: ReactNode }) {
  const router = useRouter();
  function onClick(event: MouseEvent<HTMLElement>) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    router.push(href);
  }
  return (
    <Button href={href} type={type} onClick={onClick}>
      {children}
    </Button>
  );
}
