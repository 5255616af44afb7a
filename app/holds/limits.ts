/** The longest note a reviewer may add to a hold (shared by the form and the server). */
export const NOTE_MAX_LENGTH = 1000;
