// Starts Swagger UI on the API reference page (/api/docs), a developer tool. Loaded as
// <script src="/static/build/swagger-ui/init.js">: no inline script, so the page keeps the app's
// Content-Security-Policy (script-src 'self'). The document's address comes from the page
// (data-openapi-url), so it is the one the app serves, and nothing is fetched from elsewhere.
// scripts/build_assets.sh copies this file next to swagger-ui-dist's bundle.
const root = document.getElementById("swagger-ui");
window.SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  domNode: root,
  deepLinking: true,
  docExpansion: "list", // every operation listed, each opened on demand
  defaultModelsExpandDepth: 0,
  tryItOutEnabled: false,
  validatorUrl: null, // the default would send the document to an outside validator
});
