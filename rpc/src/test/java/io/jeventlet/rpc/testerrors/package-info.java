/** Exceptions the seam tests raise on servers and rebuild on clients through rpc.allowed_remote_exmods. */
package io.jeventlet.rpc.testerrors;
