/**
 * SVG charts from Vega-Lite specifications, rendered headless in Node (vega's 'none' renderer,
 * no browser or canvas needed).
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
