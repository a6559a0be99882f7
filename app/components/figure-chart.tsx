import { AxisBottom, AxisLeft, type TickRendererProps } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear, scaleOrdinal } from "@visx/scale";
import { BarStack, LinePath } from "@visx/shape";

/*
 * One chart of the figures page, drawn on the server as SVG by visx (scales, stacked bars, a line,
 * axes): no script is needed to see it. The SVG is an image with a title and a description; the
 * table beside it carries every number for screen readers and for readers without the picture.
 */

export type ChartSeries = { key: string; label: string; values: (number | null)[] };

// Colours that keep 3:1 against white and apart from each other (Okabe–Ito, darkened).
const COLOURS = ["#0b5fa5", "#c85200", "#1b7f4b", "#8a3ffc", "#a2191f", "#5a6872"];

const WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 12, bottom: 36, left: 56 };

/**
 * A tick label as a plain SVG text: visx's default label measures text in the browser, which after
 * hydration dropped some labels that the server had drawn.
 */
function PlainTick(props: TickRendererProps) {
  const { formattedValue, x, y, dx, dy, fontSize, fill, textAnchor } = props;
  return (
    <text x={x} y={y} dx={dx} dy={dy} fontSize={fontSize} fill={fill} textAnchor={textAnchor}>
      {formattedValue}
    </text>
  );
}

export function FigureChart(props: {
  id: string;
  title: string;
  description: string;
  /** One label per month, short ("Jan 26"). */
  labels: string[];
  series: ChartSeries[];
  kind: "stack" | "line";
  /** How a value on the left axis is written. */
  formatValue: (v: number) => string;
}) {
  const { id, labels, series, kind } = props;
  const innerW = WIDTH - MARGIN.left - MARGIN.right;
  const innerH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = scaleBand<string>({ domain: labels, range: [0, innerW], padding: 0.2 });
  const totals = labels.map((_, i) =>
    kind === "stack"
      ? series.reduce((n, s) => n + (s.values[i] ?? 0), 0)
      : Math.max(0, ...series.map((s) => s.values[i] ?? 0)),
  );
  const y = scaleLinear<number>({
    domain: [0, Math.max(1, ...totals)],
    range: [innerH, 0],
    nice: true,
  });
  const colour = scaleOrdinal<string, string>({
    domain: series.map((s) => s.key),
    range: COLOURS,
  });
  const data = labels.map((label, i) => ({
    label,
    ...Object.fromEntries(series.map((s) => [s.key, s.values[i] ?? 0])),
  })) as ({ label: string } & Record<string, number>)[];
  // Every month labelled at 12 months, every other month at 24.
  const step = Math.ceil(labels.length / 12);
  return (
    <figure className="figure-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        className="figure-chart__svg"
        data-testid={`chart-${id}`}
      >
        <title id={`${id}-title`}>{props.title}</title>
        <desc id={`${id}-desc`}>{props.description}</desc>
        <Group left={MARGIN.left} top={MARGIN.top}>
          {kind === "stack" ? (
            <BarStack
              data={data}
              keys={series.map((s) => s.key)}
              x={(d) => d.label}
              xScale={x}
              yScale={y}
              color={colour}
            >
              {(stacks) =>
                stacks.map((stack) =>
                  stack.bars.map((bar) => (
                    <rect
                      key={`${stack.key}-${bar.index}`}
                      x={bar.x}
                      y={bar.y}
                      width={bar.width}
                      height={Math.max(0, bar.height)}
                      fill={bar.color}
                    />
                  )),
                )
              }
            </BarStack>
          ) : (
            series.map((s) => (
              <LinePath
                key={s.key}
                data={labels.map((label, i) => ({ label, v: s.values[i] }))}
                defined={(d) => d.v !== null}
                x={(d) => (x(d.label) ?? 0) + x.bandwidth() / 2}
                y={(d) => y(d.v ?? 0)}
                stroke={colour(s.key)}
                strokeWidth={2.5}
              />
            ))
          )}
          <AxisLeft
            scale={y}
            numTicks={5}
            tickFormat={(v) => props.formatValue(Number(v))}
            tickLabelProps={{ fontSize: 11, fill: "#1a1a1a", textAnchor: "end", dx: -4 }}
            tickComponent={PlainTick}
            stroke="#5a6872"
            tickStroke="#5a6872"
          />
          <AxisBottom
            top={innerH}
            scale={x}
            tickValues={labels.filter((_, i) => (labels.length - 1 - i) % step === 0)}
            tickLabelProps={{ fontSize: 11, fill: "#1a1a1a", textAnchor: "middle" }}
            tickComponent={PlainTick}
            stroke="#5a6872"
            tickStroke="#5a6872"
          />
        </Group>
      </svg>
      <figcaption>
        <ul className="figure-chart__legend">
          {series.map((s) => (
            <li key={s.key}>
              <svg className="figure-chart__swatch" viewBox="0 0 12 12" aria-hidden="true">
                <rect width="12" height="12" fill={colour(s.key)} />
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
