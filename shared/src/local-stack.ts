// Where `npm start` serves the gateway by default (GATEWAY_PORT overrides the port): the OpenAPI
// document's local server and the stack's scripts read it from here.
export const LOCAL_GATEWAY_PORT = 8787;
export const LOCAL_GATEWAY_URL = `http://127.0.0.1:${LOCAL_GATEWAY_PORT}`;
