// The request of a channel that takes nothing.
export type EmptyRequest = Record<string, never>;
