// The month figures are the rule of src-shared/domain/metrics (months.ts); the reports and the dashboard import them from here.
export { byCustomer, monthFigures, movementKind, movementAmount, withNet, type MonthFigures } from '@shared/domain/metrics';
