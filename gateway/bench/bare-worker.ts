// The baseline of `npm run bench:gateway`: a Worker that reads the request body (workerd closes a
// connection whose body is left unread, gateway/src/middleware/body-bytes.ts) and answers a
// constant, so only the runtime, the network and the request body's transfer are measured.
export default {
  fetch: async (request: Request) => {
    await request.arrayBuffer();
    return new Response('{"ok":true}', { headers: { "content-type": "application/json" } });
  },
};
