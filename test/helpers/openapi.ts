import { readFile } from "node:fs/promises";
import { type Document, OpenAPIBackend, type Operation } from "openapi-backend";

/** A request as sent on the wire: the path includes `/v2`, the query is the raw string or its fields. */
export interface SpecRequest {
  method: string;
  path: string;
  query?: string | Record<string, string | string[]>;
  headers?: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or undefined for no body. */
  body?: unknown;
}

/** Zoom's OpenAPI description of the Users operations, checking requests and answers against it. */
export interface ZoomSpec {
  /** The operationId the request is for, or undefined when no operation matches. */
  operationId(request: SpecRequest): string | undefined;
  operationIds(): string[];
  /** The status codes the operation declares (`"204"`, `"4XX"`, `"default"`, ...). */
  declaredStatuses(operationId: string): string[];
  /** What is wrong with the request, one line per problem; empty when Zoom's description allows it. */
  validateRequest(request: SpecRequest): string[];
  /** What is wrong with the answer to an operation (by id, or the request it answered); empty when none. */
  validateResponse(
    operation: string | SpecRequest,
    status: number,
    body: unknown,
    headers?: Record<string, string | string[] | undefined>,
  ): string[];
}

export const USERS_OPENAPI_PATH = new URL("../zoom/users-openapi.json", import.meta.url);

type Issue = { instancePath: string; message?: string; params?: Record<string, unknown> };

/** One line per Ajv issue, with its parameters (the extra property's name, the allowed values, ...). */
const describe = (where: string, issues: Issue[] | null | undefined): string[] =>
  (issues ?? []).map((issue) => {
    const params = Object.entries(issue.params ?? {}).map(
      ([name, value]) => `${name}: ${JSON.stringify(value)}`,
    );
    const detail = params.length === 0 ? "" : ` (${params.join(", ")})`;
    return `${where}${issue.instancePath}: ${issue.message ?? "invalid"}${detail}`;
  });

const definedHeaders = (headers: SpecRequest["headers"] = {}): Record<string, string | string[]> =>
  Object.fromEntries(
    Object.entries(headers)
      .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
      .map(([name, value]) => [name.toLowerCase(), value]),
  );

/** The key of the response that covers `status`: exact, then `4XX`-style, then `default`, as OpenAPI says. */
function responseKey(declared: string[], status: number): string | undefined {
  return [String(status), `${Math.floor(status / 100)}XX`, "default"].find((key) => declared.includes(key));
}

/**
 * Where Zoom's description gives an error status no body schema, the body must still be Zoom's error shape,
 * `{"code": <integer>, "message": <string>}`, since that is what every client reads.
 */
function zoomErrorShapeProblems(status: number, body: unknown): string[] {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : undefined;
  const ok = record !== undefined && Number.isInteger(record.code) && typeof record.message === "string";
  return ok
    ? []
    : [`response ${status}: body is not Zoom's error shape {code, message}: ${JSON.stringify(body)}`];
}

/** Loads the description (the repository's copy unless told another) and prepares its validators. */
export async function loadZoomSpec(path: URL | string = USERS_OPENAPI_PATH): Promise<ZoomSpec> {
  const definition = JSON.parse(await readFile(path, "utf8")) as Document;
  const api = new OpenAPIBackend({
    definition,
    apiRoot: "/v2",
    // Query values arrive as strings; Zoom's booleans (`transfer_meeting=true`) are checked as booleans.
    coerceTypes: true,
    // The two formats Zoom's Users description uses, checked loosely rather than ignored with a warning.
    ajvOpts: {
      formats: {
        email: /^[^\s@]+@[^\s@]+$/,
        "date-time": (value: string) => !Number.isNaN(Date.parse(value)),
      },
    },
  });
  await api.init();

  const find = (operation: string | SpecRequest): Operation | undefined =>
    typeof operation === "string"
      ? api.getOperation(operation)
      : api.matchOperation(toBackendRequest(operation));

  return {
    operationId: (request) => api.matchOperation(toBackendRequest(request))?.operationId,
    operationIds: () =>
      api.getOperations().flatMap((op) => (op.operationId === undefined ? [] : [op.operationId])),
    declaredStatuses: (operationId) => Object.keys(api.getOperation(operationId)?.responses ?? {}),

    validateRequest: (request) => {
      const operation = api.matchOperation(toBackendRequest(request));
      if (operation === undefined) {
        return [`no operation in Zoom's description is ${request.method.toUpperCase()} ${request.path}`];
      }
      const result = api.validateRequest(toBackendRequest(request), operation);
      const problems = describe("request", result.errors);
      const headers = definedHeaders(request.headers);
      if (operation.security !== undefined && !/^Bearer \S+$/i.test(String(headers.authorization ?? ""))) {
        problems.push("request: no `Authorization: Bearer` header, which the operation requires");
      }
      problems.push(...bodyProblems(operation, request, headers));
      return problems;
    },

    validateResponse: (operation, status, body, headers) => {
      const op = find(operation);
      if (op?.operationId === undefined)
        return [`no operation in Zoom's description for ${JSON.stringify(operation)}`];
      const declared = Object.keys(op.responses ?? {});
      const key = responseKey(declared, status);
      if (key === undefined) {
        return [`status ${status} is not declared for ${op.operationId} (declared: ${declared.join(", ")})`];
      }
      const response = op.responses?.[key];
      const hasSchema =
        response !== undefined &&
        "content" in response &&
        response.content?.["application/json"] !== undefined;
      const problems: string[] = [];
      if (hasSchema || status === 204) {
        // openapi-backend checks a 204 against a null body: an empty answer is null here.
        problems.push(
          ...describe(`response ${status}`, api.validateResponse(body ?? null, op, status).errors),
        );
      } else if (status >= 400) {
        problems.push(...zoomErrorShapeProblems(status, body));
      } else if (body !== undefined) {
        problems.push(`response ${status}: a body where Zoom's description declares none`);
      }
      if (headers !== undefined) {
        const result = api.validateResponseHeaders(definedHeaders(headers), op, { statusCode: status });
        problems.push(...describe(`response ${status} headers`, result.errors));
      }
      return problems;
    },
  };
}

function toBackendRequest(request: SpecRequest) {
  const [path = request.path, queryInPath] = request.path.split("?");
  const query = request.query ?? queryInPath ?? "";
  return {
    method: request.method.toLowerCase(),
    path,
    query,
    headers: definedHeaders(request.headers),
    ...(request.body === undefined ? {} : { body: request.body }),
  };
}

/** openapi-backend checks the body's schema; whether a body may come at all, and in what type, is checked here. */
function bodyProblems(
  operation: Operation,
  request: SpecRequest,
  headers: Record<string, string | string[]>,
): string[] {
  const requestBody = operation.requestBody;
  if (request.body === undefined) return [];
  if (requestBody === undefined || !("content" in requestBody)) {
    return ["request: a body where Zoom's description declares none"];
  }
  const contentType =
    String(headers["content-type"] ?? "")
      .split(";")[0]
      ?.trim()
      .toLowerCase() ?? "";
  const declared = Object.keys(requestBody.content);
  return declared.includes(contentType)
    ? []
    : [`request: content type \`${contentType}\` is not one of ${declared.join(", ")}`];
}
