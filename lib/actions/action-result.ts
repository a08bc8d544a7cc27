/** Result of a server action: data, or a message for the person (with the HTTP status it stands for). */
export type ActionResult<T> = { ok: true; value: T } | { ok: false; status: number; error: string };
