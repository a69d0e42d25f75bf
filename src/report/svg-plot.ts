/**
 * SVG charts from Vega-Lite specifications, rendered headless in Node (vega's 'none' renderer,
 * no browser or canvas needed): the one renderer of the project's plots (`bnnrelax estimators
 * --plot`, `bnnrelax report --plots`); each command builds its own spec.
 */
import type { TopLevelSpec } from 'vega-lite';

export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  // loaded here, not at startup: vega and vega-lite are most of the CLI's start-up time
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
