/** One data row of the input as read: where it starts and the fields that matter. */
export interface InputRecord {
  /** Line where the record STARTS; the header is line 1; "\n" counts lines, CRLF counts once. */
  line: number;
  /** Trimmed value of the user column; undefined when the row has no such field. */
  user: string | undefined;
  /** Trimmed value of the action column; undefined when there is no action column or the row has no such field. */
  action: string | undefined;
  /** Trimmed value of the transfer-target column; undefined when there is none or the row has no such field. */
  transferTo?: string | undefined;
  /** Trimmed value of the date column; undefined when there is none or the row has no such field. */
  effective?: string | undefined;
}
