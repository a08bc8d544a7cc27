/**
 * The Content-Security-Policy of every page, with this response's nonce. Next puts the nonce on its own scripts (it
 * reads it from the request's CSP header, set by proxy.ts); antd's CSS-in-JS gets it through ConfigProvider `csp`
 * and components/providers.tsx's style registry. 'strict-dynamic' lets those scripts load the chunks they import.
 *
 * Inline `style="…"` attributes stay allowed (style-src-attr): React and antd render them on the server for layout
 * and positioning, and an attribute cannot load anything or select other elements the way a <style> element can.
 * Development adds 'unsafe-eval', which React's dev build needs for its error overlays.
 *
 * Two kinds of <style> cannot carry the nonce: the empty `<style></style>` inside some antd icons' SVG (allowed by
 * the hash of the empty string, so only an empty one gets through), and @rc-component/util's scrollbar measurement
 * (an empty rule unless a page styles its scrollbars; the library expects a CSP to refuse it and falls back).
 * 'report-sample' puts the first characters of a refused style in violation reports, to tell what it was.
 */
const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

export function contentSecurityPolicy(nonce: string, { development = false }: { development?: boolean } = {}): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", `'nonce-${nonce}'`, EMPTY_STYLE_HASH],
    "style-src-elem": ["'self'", `'nonce-${nonce}'`, EMPTY_STYLE_HASH, "'report-sample'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'", ...(development ? ["ws:"] : [])],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}
