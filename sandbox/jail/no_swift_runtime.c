/*
 * SwiftPM links every executable with swiftc, which adds swiftrt.o (an image
 * constructor that registers Swift metadata) and -lswiftCore. The jail has no
 * Swift code and must not load the Swift runtime (docs/sandbox.md: no Swift code
 * between fork and exec, nor anywhere in the helper). These two empty
 * definitions satisfy swiftrt.o, and -static-executable then pulls nothing from the Swift
 * runtime archives: the jail is a plain static C binary.
 */
void swift_addNewDSOImage(const void *image) { (void)image; }
int _swift_backtrace_isThunkFunction(const char *name) {
  (void)name;
  return 0;
}
