// Names of POST /v1/edits form fields that more than the parser needs (the OpenAPI document).
/** A mask hint's file field. */
export const HINT_MASK_FORM_FIELD = "mask";
