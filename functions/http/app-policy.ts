/*
 * One policy for the staff web app's files: CloudFront sends it on AWS
 * (infra/constructs/web-app.ts), the local server on /app (functions/local/web-app.ts).
 */

/**
 * Content-Security-Policy of the app: scripts of its own origin only, no plugins,
 * never framed, calls to its own origin (the API) and to the hosted UI's token
 * endpoint (none locally: the demo sign-in is the app's own origin). Inline styles
 * are allowed: the previews are rendered emails (inline CSS, in sandboxed srcdoc
 * frames, which inherit this policy) and the report charts' swatches set a colour.
 * Images: emails show images from anywhere over HTTPS.
 */
export function appContentSecurityPolicy(authority?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' https:",
    authority ? `connect-src 'self' ${authority}` : "connect-src 'self'",
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}
