// The baseline of `npm run bench:gateway`: a Worker that answers a constant without reading the
// request, so only the runtime, the network and the request body's transfer are measured.
export default {
  fetch: () => new Response('{"ok":true}', { headers: { "content-type": "application/json" } }),
};
