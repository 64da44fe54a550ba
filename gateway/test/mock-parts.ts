// The bytes the GPU mock answers for each image part of an edit: a 1x1 PNG followed by the part's
// name and the instruction (readers stop at IEND), so every part of every edit is distinct and a
// test can tell which one it got. Shared by the mock (Node) and the Worker tests.
const PNG_1x1 = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

export function mockPart(name: string, instruction: string): Uint8Array {
  const tail = new TextEncoder().encode(`${name}:${instruction}`);
  const bytes = new Uint8Array(PNG_1x1.length + tail.length);
  bytes.set(PNG_1x1);
  bytes.set(tail, PNG_1x1.length);
  return bytes;
}
