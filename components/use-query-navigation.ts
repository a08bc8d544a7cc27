"use client";

import { usePathname, useRouter } from "next/navigation";
import { useTransition } from "react";

export type QueryValues = Record<string, string | string[] | number | boolean | undefined>;

/**
 * Filters and paging that live in the URL (so a view can be bookmarked and shared): navigate to this page with new
 * query values, leaving out empty ones, while `pending` says the server is rendering the new view.
 */
export function useQueryNavigation(): { pending: boolean; navigate: (values: QueryValues) => void } {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();

  function navigate(values: QueryValues) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== undefined && item !== "" && item !== false) params.append(key, item === true ? "1" : String(item));
      }
    }
    const query = params.toString();
    startTransition(() => router.push(query ? `${pathname}?${query}` : pathname));
  }

  return { pending, navigate };
}
