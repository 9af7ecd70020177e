/** The planner's seeded generator (reproducible searches). */
export { seededRandom } from '../../util/seeded-random.js';
