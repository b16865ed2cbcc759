import { classifyAnswer } from "./classify-answer.js";
import type { OperationCall, ZoomOperation } from "./operation.js";

/** An operation bound to its input: what to send, and how to read the answers to it. */
export function call<In, Out>(operation: ZoomOperation<In, Out>, input: In): OperationCall {
  return {
    operation,
    input,
    request: operation.request(input),
    classify: (answer, now) => classifyAnswer(operation, input, answer, now),
    reverse: () => (operation.undo.kind === "reversible" ? operation.undo.reverse(input) : undefined),
  };
}
