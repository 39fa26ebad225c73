// Money as the console shows it: amounts kept in millionths of a currency unit, written with the unit's code.

/** "12.3456 USD" style: up to 4 decimals (SMS prices are fractions of a cent), at least 2. */
export function formatMoney(micros: number, unit: string): string {
  const amount = micros / 1_000_000;
  return `${amount.toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 4 })} ${unit}`;
}
