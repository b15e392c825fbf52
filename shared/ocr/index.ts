/**
 * The offline OCR pipeline (issue 7): recognition with injected runtime parts, field extraction
 * with provenance, and checks against the listing. See pipeline.ts for the decisions.
 */
export * from './types';
export * from './normalize';
export * from './sniff';
export * from './signal';
export * from './pool';
export * from './extract';
export * from './checks';
export * from './layout';
export * from './pipeline';
export * from './traineddata';
export * from './prefill';
