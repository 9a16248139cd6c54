/** Python value semantics for template values: printing, truth, comparison, arithmetic, methods. */
export { pyAdd, pySub, pyMul, pyTrueDiv, pyFloorDiv, pyMod, pyPow, pyNeg, pyPos } from './arith.js';
export {
  pyEquals,
  pyCompare,
  pyCompareOp,
  toKey,
  dictFindKey,
  dictGet,
  dictHas,
  dictSet,
  dictDelete,
  type ComparisonOp,
} from './compare.js';
export { PyError, typeError, valueError, type PyExceptionName } from './errors.js';
export { floatRepr, intRepr, formatFloatAbs, type FloatFormat } from './floatfmt.js';
export { pyIterable, pyLength } from './iter.js';
export { getMethod, callMethod, isDictMethod } from './methods.js';
export { mutationEpoch, noteMutation } from './mutation.js';
export { percentFormat } from './percent.js';
export { pyRepr, strRepr } from './repr.js';
export { pyStr, pyTpName, pyTypeName } from './str.js';
export { strFormat, formatValue } from './strformat.js';
export { codePoints, pyLen, splitPy, rsplitPy, stripPy, titleCase, capitalize, PY_WHITESPACE } from './text.js';
export { pyTruthy } from './truthy.js';
export {
  PyCallable,
  PyDictView,
  PyNamedTuple,
  isStr,
  isInt,
  isIntegral,
  isNumeric,
  protocol,
  strValue,
  numValue,
  normInt,
  intFromDigits,
  bigValue,
  intToFloat,
  type PyInt,
  type PyFunction,
  type PyProtocol,
} from './types.js';
export { JinjaUndefined, PyUndefinedError, isLenient, undefinedError } from './undefined.js';
