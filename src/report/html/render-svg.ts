import type { Loader } from "vega";
import type { compile, TopLevelSpec } from "vega-lite";
import { OffboardError } from "../../domain/errors.js";

/**
 * vega's loader fetches data, images and fonts by URL; every chart here carries its data inline, so a loader
 * that refuses everything guarantees the page is written without a network request or a file read.
 */
const REFUSE_LOADS: Loader = {
  load: async (uri) => refuse(uri),
  sanitize: async (uri) => refuse(uri),
  http: async (uri) => refuse(uri),
  file: async (filename) => refuse(filename),
};

function refuse(what: string): never {
  throw new OffboardError("INTERNAL", `the HTML report loads nothing, but a chart asked for ${what}`);
}

type Libraries = [typeof import("vega"), typeof import("vega-lite")];
let libraries: Promise<Libraries> | undefined;

/** vega is big: it is loaded the first time a chart is drawn, so a run that writes no page never pays for it. */
function loadLibraries(): Promise<Libraries> {
  libraries ??= Promise.all([import("vega"), import("vega-lite")]);
  return libraries;
}

type CompileLogger = NonNullable<NonNullable<Parameters<typeof compile>[1]>["logger"]>;

/** Vega-Lite's warnings, kept instead of printed: the run's stderr is for the run's own logs. */
function collectingLogger(warnings: string[]): CompileLogger {
  let level = 0;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(" "));
      return logger;
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(" "));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger as CompileLogger;
}

/** A Vega-Lite spec drawn as a static SVG string, with no canvas and no browser; and what Vega-Lite warned. */
export async function renderSvg(spec: TopLevelSpec): Promise<{ svg: string; warnings: string[] }> {
  const [vega, vegaLite] = await loadLibraries();
  const warnings: string[] = [];
  const { spec: compiled } = vegaLite.compile(spec, { logger: collectingLogger(warnings) });
  const view = new vega.View(vega.parse(compiled), {
    renderer: "none",
    loader: REFUSE_LOADS,
    logLevel: vega.None,
  });
  try {
    return { svg: await view.toSVG(), warnings };
  } finally {
    view.finalize();
  }
}
