import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG, chartLabel, MUTED } from "./chart-theme.js";
import { ATTENTION_COLOURS, type Attention } from "./outcomes.js";
import type { OutcomeGroup } from "./shape.js";

const GROUP_NAMES: Record<Attention, string> = {
  attention: "needs a person",
  fine: "fine",
  unknown: "unknown outcome",
};

/** Outcomes as horizontal bars with their counts, coloured by whether they need a person. */
export function outcomeChartSpec(groups: readonly OutcomeGroup[]): TopLevelSpec {
  const values = groups.map((group) => ({
    label: chartLabel(group.label),
    count: group.count,
    group: GROUP_NAMES[group.attention],
  }));
  const present = (Object.keys(GROUP_NAMES) as Attention[]).filter((a) =>
    groups.some((g) => g.attention === a),
  );
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    config: CHART_CONFIG,
    width: 280,
    height: { step: 22 },
    data: { values },
    encoding: {
      y: {
        field: "label",
        type: "nominal",
        sort: null,
        title: null,
        axis: { ticks: false, domain: false, labelLimit: 240, labelFontSize: 12, labelColor: "#1f2933" },
      },
      x: {
        field: "count",
        type: "quantitative",
        title: "rows",
        axis: { tickMinStep: 1, tickCount: 5, format: "~s" },
      },
    },
    layer: [
      {
        mark: { type: "bar", cornerRadiusEnd: 2, height: { band: 0.7 } },
        encoding: {
          color: {
            field: "group",
            type: "nominal",
            title: null,
            scale: {
              domain: present.map((a) => GROUP_NAMES[a]),
              range: present.map((a) => ATTENTION_COLOURS[a]),
            },
          },
        },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 11, color: MUTED },
        encoding: { text: { field: "count", type: "quantitative", format: ",d" } },
      },
    ],
  };
}
