// Rotating a Zendesk connection's shared secret: the choices of how long the secret it replaces keeps
// working, shared by the settings form and connections.server.ts.

/** Hours the previous secret stays accepted after a rotation: 0 refuses it at once (a leaked secret). */
export const ROTATION_GRACE_HOURS = ["0", "1", "24", "72"] as const;

/** Long enough for whoever installs the app to update its setting within a working day. */
export const DEFAULT_ROTATION_GRACE_HOURS = "24" satisfies (typeof ROTATION_GRACE_HOURS)[number];
