// A type with every bigint inside replaced by `B`: what a report value becomes once
// JSON text of it is parsed (numbers), or either form for code that reads both.

export type BigintsAs<T, B> = T extends bigint
  ? B
  : T extends (infer U)[]
    ? BigintsAs<U, B>[]
    : T extends object
      ? { [K in keyof T]: BigintsAs<T[K], B> }
      : T;
