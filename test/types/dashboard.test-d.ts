/**
 * Type-level tests of the dashboard: it takes a domain (of any resources) and its options, and is a
 * Hono app to mount. Checked by `tsc` in `npm test`; never run.
 */
import { expectTypeOf } from 'expect-type';
import { Hono } from 'hono';
import { Character, Machine } from '../../examples/time-travel/resources.js';
import { createDashboard, type DashboardOptions } from '../../src/http/index.js';
import { createDomain } from '../../src/index.js';

const domain = createDomain({ resources: [Character, Machine] });

expectTypeOf(createDashboard(domain)).toEqualTypeOf<Hono>();
expectTypeOf(createDashboard(domain, { title: 'Time machines', node: 'node-a' })).toEqualTypeOf<Hono>();
expectTypeOf<DashboardOptions>().toEqualTypeOf<{ readonly title?: string; readonly node?: string }>();
new Hono().route('/dashboard', createDashboard(domain));

// @ts-expect-error a dashboard shows a domain
createDashboard();
// @ts-expect-error not a domain
createDashboard({ resources: [Character] });
// @ts-expect-error the title is text
createDashboard(domain, { title: 5 });
// @ts-expect-error no such option
createDashboard(domain, { colour: 'red' });
