// Swagger UI (swagger-ui-dist, served from this Worker's assets) on this gateway's own document.
// No CDN, no validator badge (it would call validator.swagger.io).
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#ui",
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
});
