/*
 * du's JNI library (libgopl-du.so): the Linux system calls of gopl.du.JniSyscalls. It only passes
 * numbers and buffer addresses through to the kernel, as the FFM backend does, so a JVM starting
 * du links no FFM downcall (issue 14). The header comes from javac -h, so these signatures cannot
 * drift from the Java declarations.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <jni.h>
#include "gopl_du_JniSyscalls.h"

/* The system call's result, or -errno if it failed: errno read here, no second call to learn it. */
JNIEXPORT jlong JNICALL Java_gopl_du_JniSyscalls_call(JNIEnv *env, jobject self, jlong number, jlong a, jlong b,
                                                      jlong c, jlong d, jlong e) {
    long result = syscall(number, a, b, c, d, e);
    return result == -1 ? -(jlong) errno : result;
}

/* Where a direct buffer's memory starts (0 if the buffer is not direct). */
JNIEXPORT jlong JNICALL Java_gopl_du_JniSyscalls_address(JNIEnv *env, jobject self, jobject buffer) {
    return (jlong) (*env)->GetDirectBufferAddress(env, buffer);
}

/* The C library's message for an error number: "Permission denied". */
JNIEXPORT jstring JNICALL Java_gopl_du_JniSyscalls_strerror(JNIEnv *env, jobject self, jint number) {
    char buffer[256];
    return (*env)->NewStringUTF(env, strerror_r(number, buffer, sizeof buffer)); /* GNU's: returns the message */
}
