export { createDashboard, type DashboardOptions } from './dashboard.js';
