// Answers shared by resource routes.

/**
 * For GET (and HEAD) on a route that only takes POST. Without a loader Remix answers 400 and logs a
 * stack trace for every such request.
 */
export const onlyPost = () =>
  new Response("Use POST for this address.", { status: 405, headers: { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" } });
