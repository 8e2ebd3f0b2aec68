import type { MethodName, ParamsOf, ResultOf } from '../protocol';
import type { RunContext } from '../runContext';

/** A method implementation: thin glue from params to agent functions. */
export type Handler<M extends MethodName> = (params: ParamsOf<M>, ctx: RunContext) => Promise<ResultOf<M>>;

/** Each room exports a partial table; rpc/handlers.ts merges them. */
export type HandlerTable = { [M in MethodName]?: Handler<M> };
