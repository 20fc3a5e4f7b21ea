/** Entry point of the system module: operational diagnostics of a running deployment. */
export { registerSystemJobs } from './system.jobs.js';
export { systemRoutes } from './system.routes.js';
