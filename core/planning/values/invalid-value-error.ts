/**
 * A value that does not fit its Iceberg type: a malformed JSON literal, a date that does not exist,
 * a decimal with the wrong scale. It is a BadRequestError, so a caller that lets it escape answers
 * 400; callers usually catch it to name the field or the filter it came from.
 */
import { BadRequestError } from '../../errors.js';

export class InvalidValueError extends BadRequestError {}
