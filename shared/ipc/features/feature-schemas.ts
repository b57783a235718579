// The type every feature's schema map has: one zod schema per channel of its contract, producing that channel's request.
import type { z } from 'zod';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a contract is a map of functions of any shape
export type FeatureSchemas<K extends Record<string, (req: any) => Promise<unknown>>> = {
  [C in keyof K]: z.ZodType<Parameters<K[C]>[0]>;
};
