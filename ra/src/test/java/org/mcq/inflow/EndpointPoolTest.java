package org.mcq.inflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.Test;
import org.mcq.listener.ClientConnection;
import org.mcq.listener.CommandListener;
import org.mcq.listener.TransportStats;
import org.mcq.protocol.Command;
import org.mcq.protocol.CommandDecoder;
import org.mcq.protocol.Limits;
import org.mcq.protocol.Reply;

/**
 * The inflow's delivery without a container: endpoints from a factory that records what the
 * container would see (create, before/after delivery, release), so the pool's promises are checked
 * one by one: reuse, one thread per endpoint at a time, a failed endpoint never reused, the
 * transaction bracket only when asked, nothing kept after close.
 */
class EndpointPoolTest {

    private static final ClientConnection CONNECTION = new ClientConnection() {
        @Override
        public TransportStats transport() {
            return null;
        }

        @Override
        public boolean reserveReply(int bytes) {
            return true;
        }

        @Override
        public void releaseReply(int bytes) {
        }

        @Override
        public boolean inputEnded() {
            return false;
        }
    };

    private static Command command(String line) {
        return (Command) new CommandDecoder(new Limits(8192, 1024 * 1024))
                .decode(ByteBuffer.wrap((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String text(CompletionStage<Reply> reply) {
        return ((Reply.Line) reply.toCompletableFuture().join()).text();
    }

    /** One endpoint as the container would hand it out; its listener behaviour is the test's. */
    static final class Endpoint implements MessageEndpoint, CommandListener {
        final List<String> calls = new ArrayList<>();
        private final Function<Command, CompletionStage<Reply>> behaviour;

        Endpoint(Function<Command, CompletionStage<Reply>> behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public CompletionStage<Reply> onCommand(Command command, ClientConnection connection) {
            calls.add("onCommand " + command.verb().wireName());
            return behaviour.apply(command);
        }

        @Override
        public void onClose(ClientConnection connection) {
            calls.add("onClose");
        }

        @Override
        public void onInputEnd(ClientConnection connection) {
            calls.add("onInputEnd");
        }

        @Override
        public void beforeDelivery(Method method) {
            calls.add("before " + method.getName());
        }

        @Override
        public void afterDelivery() {
            calls.add("after");
        }

        @Override
        public void release() {
            calls.add("release");
        }
    }

    static final class Factory implements MessageEndpointFactory {
        final List<Endpoint> created = new ArrayList<>();
        private final boolean transacted;
        private final Function<Command, CompletionStage<Reply>> behaviour;
        volatile boolean unavailable;

        Factory(boolean transacted, Function<Command, CompletionStage<Reply>> behaviour) {
            this.transacted = transacted;
            this.behaviour = behaviour;
        }

        @Override
        public synchronized MessageEndpoint createEndpoint(XAResource xaResource) throws UnavailableException {
            if (unavailable) {
                throw new UnavailableException("the application is stopping");
            }
            Endpoint endpoint = new Endpoint(behaviour);
            created.add(endpoint);
            return endpoint;
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) throws UnavailableException {
            return createEndpoint(xaResource);
        }

        @Override
        public boolean isDeliveryTransacted(Method method) {
            return transacted;
        }

        @Override
        public String getActivationName() {
            return "test";
        }

        @Override
        public Class<?> getEndpointClass() {
            return Endpoint.class;
        }

        synchronized int count() {
            return created.size();
        }
    }

    private static CompletionStage<Reply> stored(Command command) {
        return CompletableFuture.completedFuture(Reply.STORED);
    }

    @Test
    void oneThreadDeliveringReusesOneEndpoint() throws ResourceException {
        Factory factory = new Factory(false, EndpointPoolTest::stored);
        EndpointPool pool = new EndpointPool(factory);
        for (int i = 0; i < 5; i++) {
            assertEquals("STORED", text(pool.handle(command("set q 0 0 1\r\na"), CONNECTION)));
        }
        pool.inputEnded(CONNECTION);
        pool.closed(CONNECTION);
        assertEquals(1, factory.count());
        assertEquals(List.of("onCommand set", "onCommand set", "onCommand set", "onCommand set", "onCommand set",
                "onInputEnd", "onClose"), factory.created.get(0).calls);
    }

    @Test
    void anEndpointServesOneDeliveryAtATime() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Factory factory = new Factory(false, holdingSlow(inside, leave));
        EndpointPool pool = new EndpointPool(factory);
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> text(pool.handle(command("get slow"), CONNECTION)));
        assertTrue(inside.await(30, TimeUnit.SECONDS), "the first delivery never started");
        assertEquals("END", text(pool.handle(command("get fast"), CONNECTION)));
        assertEquals(2, factory.count(), "a delivery in progress lent its endpoint to another thread");
        leave.countDown();
        assertEquals("END", slow.get(30, TimeUnit.SECONDS));
        // both are idle now: further deliveries create no more
        pool.handle(command("get a"), CONNECTION);
        pool.handle(command("get b"), CONNECTION);
        assertEquals(2, factory.count());
    }

    @Test
    void anEndpointWhoseDeliveryFailedIsReleasedNotReused() throws ResourceException {
        Factory factory = new Factory(false, command -> {
            if (command.keys().get(0).equals("boom")) {
                throw new IllegalStateException("the bean failed");
            }
            return CompletableFuture.completedFuture(Reply.END);
        });
        EndpointPool pool = new EndpointPool(factory);
        assertEquals("SERVER_ERROR queue service unavailable", text(pool.handle(command("get boom"), CONNECTION)));
        assertEquals("END", text(pool.handle(command("get q"), CONNECTION)));
        assertEquals(2, factory.count());
        assertEquals(List.of("onCommand get", "release"), factory.created.get(0).calls);
        assertEquals(List.of("onCommand get"), factory.created.get(1).calls);
    }

    @Test
    void noEndpointToBeHadIsAServerErrorReply() throws ResourceException {
        Factory factory = new Factory(false, EndpointPoolTest::stored);
        factory.unavailable = true;
        EndpointPool pool = new EndpointPool(factory);
        assertEquals("SERVER_ERROR queue service unavailable", text(pool.handle(command("get q"), CONNECTION)));
        pool.closed(CONNECTION); // nothing to deliver it to: no exception either
        assertEquals(0, factory.count());
    }

    @Test
    void aTransactedDeliveryIsBracketedEvenWhenItFails() throws ResourceException {
        Factory factory = new Factory(true, command -> {
            if (command.keys().get(0).equals("boom")) {
                throw new IllegalStateException("the bean failed");
            }
            return CompletableFuture.completedFuture(Reply.END);
        });
        EndpointPool pool = new EndpointPool(factory);
        assertEquals("END", text(pool.handle(command("get q"), CONNECTION)));
        assertEquals("SERVER_ERROR queue service unavailable", text(pool.handle(command("get boom"), CONNECTION)));
        pool.closed(CONNECTION);
        assertEquals(List.of("before onCommand", "onCommand get", "after", "before onCommand", "onCommand get", "after",
                "release"), factory.created.get(0).calls);
        assertEquals(List.of("before onClose", "onClose", "after"), factory.created.get(1).calls);
    }

    @Test
    void closeReleasesTheIdleAndKeepsNothingDeliveredAfter() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Factory factory = new Factory(false, holdingSlow(inside, leave));
        EndpointPool pool = new EndpointPool(factory);
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> text(pool.handle(command("get slow"), CONNECTION)));
        assertTrue(inside.await(30, TimeUnit.SECONDS), "the delivery never started");
        pool.handle(command("get q"), CONNECTION); // a second endpoint, idle from here
        pool.close();
        assertEquals("release", last(factory.created.get(1).calls), "an idle endpoint outlived close");
        leave.countDown();
        assertEquals("END", slow.get(30, TimeUnit.SECONDS));
        assertEquals(2, factory.count());
        assertEquals("release", last(factory.created.get(0).calls), "an endpoint busy at close was kept");
    }

    /** A bean that answers END, holding a {@code get slow} until {@code leave}, once {@code inside} says it is there. */
    private static Function<Command, CompletionStage<Reply>> holdingSlow(CountDownLatch inside, CountDownLatch leave) {
        return command -> {
            if (command.keys().get(0).equals("slow")) {
                inside.countDown();
                try {
                    assertTrue(leave.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return CompletableFuture.completedFuture(Reply.END);
        };
    }

    private static String last(List<String> calls) {
        return calls.get(calls.size() - 1);
    }
}
