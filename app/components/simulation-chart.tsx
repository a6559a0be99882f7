import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { useId } from "react";

/**
 * Two series side by side per category (current and draft), drawn on the server as SVG with
 * @visx: no script, a title and description for screen readers, and the same numbers in the
 * table beside it. The viewBox scales to the column's width, from a phone to a desk.
 */
export function PairedBarChart(props: {
  title: string;
  description: string;
  categories: { key: string; label: string; a: number; b: number }[];
  labels: { a: string; b: string };
}) {
  const id = useId();
  const width = 640;
  const height = 300;
  const margin = { top: 16, right: 12, bottom: 48, left: 48 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const max = Math.max(1, ...props.categories.flatMap((c) => [c.a, c.b]));
  const x0 = scaleBand<string>({
    domain: props.categories.map((c) => c.key),
    range: [0, innerW],
    padding: 0.25,
  });
  const x1 = scaleBand<"a" | "b">({ domain: ["a", "b"], range: [0, x0.bandwidth()], padding: 0.1 }); // prettier-ignore
  const y = scaleLinear<number>({ domain: [0, max], range: [innerH, 0], nice: true });
  const label = new Map(props.categories.map((c) => [c.key, c.label]));
  return (
    <figure className="sim-chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        className="sim-chart__svg"
      >
        <title id={`${id}-t`}>{props.title}</title>
        <desc id={`${id}-d`}>{props.description}</desc>
        <Group left={margin.left} top={margin.top}>
          {props.categories.map((c) => (
            <Group key={c.key} left={x0(c.key) ?? 0}>
              {(["a", "b"] as const).map((s) => (
                <Bar
                  key={s}
                  x={x1(s) ?? 0}
                  y={y(c[s])}
                  width={x1.bandwidth()}
                  height={innerH - y(c[s])}
                  className={`sim-chart__bar sim-chart__bar--${s}`}
                />
              ))}
            </Group>
          ))}
          <AxisLeft
            scale={y}
            tickValues={y.ticks(5).filter((v) => Number.isInteger(v))}
            tickFormat={(v) => String(v)}
            tickLabelProps={{ fontSize: 12 }}
          />
          <AxisBottom
            top={innerH}
            scale={x0}
            tickFormat={(k) => label.get(k) ?? k}
            tickLabelProps={{ fontSize: 12, textAnchor: "middle" }}
          />
        </Group>
      </svg>
      <figcaption className="sim-chart__legend">
        <span className="sim-chart__key sim-chart__key--a" aria-hidden="true" /> {props.labels.a}{" "}
        <span className="sim-chart__key sim-chart__key--b" aria-hidden="true" /> {props.labels.b}
      </figcaption>
    </figure>
  );
}
