import { expect } from 'chai';
import { histogramQuantiles } from './cdc-status.ts';

const text = `# HELP ficus_cdc_end_to_end_lag_seconds source commit time to applied in the target
# TYPE ficus_cdc_end_to_end_lag_seconds histogram
ficus_cdc_end_to_end_lag_seconds_bucket{le="0.05",stream="legacy.products->products"} 40
ficus_cdc_end_to_end_lag_seconds_bucket{le="0.1",stream="legacy.products->products"} 90
ficus_cdc_end_to_end_lag_seconds_bucket{le="0.25",stream="legacy.products->products"} 99
ficus_cdc_end_to_end_lag_seconds_bucket{le="+Inf",stream="legacy.products->products"} 100
ficus_cdc_end_to_end_lag_seconds_bucket{le="0.05",stream="legacy.categories->categories"} 0
ficus_cdc_end_to_end_lag_seconds_bucket{le="0.1",stream="legacy.categories->categories"} 0
ficus_cdc_end_to_end_lag_seconds_bucket{le="0.25",stream="legacy.categories->categories"} 100
ficus_cdc_end_to_end_lag_seconds_bucket{le="+Inf",stream="legacy.categories->categories"} 100
ficus_cdc_end_to_end_lag_seconds_bucket{le="0.05",stream="legacy.inventory->stock_levels"} 7
ficus_cdc_end_to_end_lag_seconds_bucket{le="+Inf",stream="legacy.inventory->stock_levels"} 7
`;

describe('histogramQuantiles (cdc status lag from the CDC process metrics)', () => {
  it('sums the buckets of a pipeline\'s streams and reports the bucket bound of p50 and p99', () => {
    expect(histogramQuantiles(text, 'ficus_cdc_end_to_end_lag_seconds', ['legacy.products->products'])).to.deep.equal({ p50: 100, p99: 250, samples: 100 });
    expect(histogramQuantiles(text, 'ficus_cdc_end_to_end_lag_seconds', ['legacy.products->products', 'legacy.categories->categories'])).to.deep.equal({ p50: 250, p99: 250, samples: 200 });
  });
  it('reports a quantile past the last bound as Infinity', () => {
    const slow = text.replace('le="0.25",stream="legacy.products->products"} 99', 'le="0.25",stream="legacy.products->products"} 90');
    expect(histogramQuantiles(slow, 'ficus_cdc_end_to_end_lag_seconds', ['legacy.products->products'])).to.deep.equal({ p50: 100, p99: Infinity, samples: 100 });
  });
  it('is null without samples for those streams', () => {
    expect(histogramQuantiles(text, 'ficus_cdc_end_to_end_lag_seconds', ['nope'])).to.equal(null);
    expect(histogramQuantiles('', 'ficus_cdc_end_to_end_lag_seconds', ['legacy.products->products'])).to.equal(null);
  });
});
