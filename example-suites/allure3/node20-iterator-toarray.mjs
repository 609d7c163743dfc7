// Allure 3.18.0's quality gate calls Iterator.prototype.toArray (@allurereport/core,
// dist/qualityGate/qualityGate.js line 74), which node has from version 22 on, though Allure's package.json
// names no minimum version. On node 20 the gate fails with "toArray is not a function" instead of judging.
// Loaded with NODE_OPTIONS=--import=<this file>; on node 22 and later it does nothing.
const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
if (typeof iteratorPrototype.toArray !== "function") {
  Object.defineProperty(iteratorPrototype, "toArray", {
    value() {
      return Array.from(this);
    },
    writable: true,
    configurable: true,
  });
}
