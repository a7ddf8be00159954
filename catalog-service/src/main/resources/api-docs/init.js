// The reference is the service's own /openapi.json; its own file, not inline, so that a
// Content-Security-Policy without 'unsafe-inline' would still allow it.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
});
