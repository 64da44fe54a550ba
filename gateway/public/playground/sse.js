// A Server-Sent Events parser (the WHATWG event-stream format) for streams read with fetch: the
// events API needs the Authorization header, which EventSource cannot send. Feed it text as it
// arrives, in chunks split anywhere; it answers the complete events so far.
export class SseParser {
  constructor() {
    this.buffer = "";
    this.event = { id: null, event: "message", data: [] };
    /** The id of the last complete event: what Last-Event-ID sends when the stream is resumed (an
     * event cut off by a dropped connection does not count, so it is sent again). */
    this.lastEventId = null;
  }

  /** Complete events ({ id, event, data: string }) in this chunk and the ones before it. */
  push(chunk) {
    this.buffer += chunk;
    const events = [];
    // A trailing "\r" may be the first half of "\r\n": keep it for the next chunk.
    const pattern = /\r\n|\n|\r(?!$)/g;
    let start = 0;
    for (let match = pattern.exec(this.buffer); match !== null; match = pattern.exec(this.buffer)) {
      const line = this.buffer.slice(start, match.index);
      start = match.index + match[0].length;
      const event = this.line(line);
      if (event !== null) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** The stream has ended: a "\r" held back was a line's end; an unfinished line is dropped. */
  finish() {
    const events = this.buffer.endsWith("\r") ? this.push("\n") : [];
    this.buffer = "";
    return events;
  }

  /** One line: a field of the event being read, a comment, or the blank line that ends it. */
  line(line) {
    if (line === "") {
      const { id, event, data } = this.event;
      this.event = { id: null, event: "message", data: [] };
      if (id !== null) this.lastEventId = id;
      if (data.length === 0) return null;
      return { id: this.lastEventId, event, data: data.join("\n") };
    }
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.event.data.push(value);
    else if (field === "event") this.event.event = value;
    else if (field === "id" && !value.includes("\0")) this.event.id = value;
    return null;
  }
}
