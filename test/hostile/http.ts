// A raw HTTP client for hostile requests: node:http sends the path byte for byte (fetch would
// normalise "/../" and percent-encoding), any method, any headers (a Content-Length given in `headers`
// is sent as is, true or not), and bodies with a Content-Length or chunked.
import http from "node:http";

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Sent with a Content-Length, or in chunks (Transfer-Encoding: chunked) when `chunked`. */
  body?: Buffer;
  chunked?: boolean;
  /** The loopback address to send from (127.0.0.x), when the test needs several clients. */
  localAddress?: string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const CHUNK = 64 * 1024;

export function send(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: request.headers,
        agent: false,
        localAddress: request.localAddress,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
          req.destroy();
        });
        res.on("error", reject);
      },
    );
    // A server that refuses a large body answers and closes while the body is still being written:
    // the answer counts, the broken pipe after it does not.
    req.on("error", (error) => {
      setTimeout(() => answered || reject(error), 50);
    });
    const body = request.body ?? Buffer.alloc(0);
    const declared = Object.keys(request.headers).some((name) => name.toLowerCase() === "content-length");
    if (!request.chunked && !declared && (body.length || !["GET", "HEAD"].includes(request.method))) req.setHeader("Content-Length", body.length);
    // Written a chunk at a time, yielding between chunks, so an early answer is read before the server
    // closes the connection, and nothing more is sent once it has come.
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length && !answered && !req.destroyed) {
        const chunk = body.subarray(offset, offset + CHUNK);
        offset += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", () => setImmediate(writeMore));
        return void setImmediate(writeMore);
      }
      if (!answered && !req.destroyed) req.end();
    };
    writeMore();
  });
}
