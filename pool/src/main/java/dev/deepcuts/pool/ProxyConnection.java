package dev.deepcuts.pool;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * What {@link ConnectionPool#getConnection()} hands out: the physical connection behind a thin
 * wrapper that remembers what the borrower changed (so the pool can undo it on return), wraps and
 * tracks the statements it opened (so they lead back to this proxy, never to the physical
 * connection, and are closed on return), notices a broken connection (so the pool evicts it), and
 * refuses every call once closed — a borrower keeping a reference after {@code close()} cannot use
 * a connection someone else now holds.
 *
 * <p>Like a JDBC connection, not meant to be shared between threads.
 */
final class ProxyConnection implements Connection {

    static final int AUTOCOMMIT = 1;
    static final int READONLY = 2;
    static final int CATALOG = 4;
    static final int ISOLATION = 8;
    static final int SCHEMA = 16;
    static final int NETWORK_TIMEOUT = 32;

    private final ConnectionPool pool;
    final PoolEntry entry;
    private final Connection delegate;
    private boolean closed;
    int changed;                            // which session settings the borrower changed
    boolean broken;                         // a call failed with an error that means the connection is gone
    private List<ProxyStatement> statements; // opened through this proxy and not closed yet: closed on return

    ProxyConnection(ConnectionPool pool, PoolEntry entry) {
        this.pool = pool;
        this.entry = entry;
        this.delegate = entry.connection;
    }

    // region proxy-guard
    private void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("connection is closed: it went back to pool '" + pool.name() + "' and may belong to"
                    + " another borrower now", "08003");
        }
        if (entry.reclaimed) {
            throw new SQLException("connection was reclaimed by pool '" + pool.name() + "' after being held longer than "
                    + pool.config().reclaimAfter().toMillis() + " ms", "08003");
        }
    }

    /**
     * Notes a failure, from the connection or from any statement or result set it opened: an error
     * that says the connection is gone marks it broken, and the pool retires it on return.
     */
    SQLException failed(SQLException e) {
        SQLException x = e;
        for (int depth = 0; x != null && depth < 10 && !broken; depth++) {   // and the chain of next exceptions
            broken = isFatal(x);
            x = x.getNextException();
        }
        return e;
    }

    /**
     * SQLState class 08 (connection exception), PostgreSQL's 57P01, 57P02 and 57P03 (the server is
     * shutting down, crashed, or not accepting connections yet), SQL:92's 01002 (disconnect error), or
     * an exception the driver itself calls a non-transient connection failure.
     */
    static boolean isFatal(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLNonTransientConnectionException
                || state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03") || state.equals("01002"));
    }
    // endregion proxy-guard

    // region proxy-statements
    /** Wraps a statement the driver opened, and remembers it until it is closed. */
    private <S extends ProxyStatement> S track(S s) {
        if (statements == null) {
            statements = new ArrayList<>(4);
        }
        statements.add(s);
        return s;
    }

    /** Called by a statement the borrower closes; statements are usually closed newest first, so search from the end. */
    void untrack(ProxyStatement s) {
        List<ProxyStatement> open = statements;
        if (open != null) {
            for (int i = open.size() - 1; i >= 0; i--) {
                if (open.get(i) == s) {
                    open.remove(i);
                    return;
                }
            }
        }
    }

    /** Closes the statements the borrower left open; called by the pool on return. */
    void closeStatements() {
        List<ProxyStatement> open = statements;
        statements = null;
        if (open != null) {
            for (ProxyStatement s : open) {
                try {
                    s.closeDelegate();
                } catch (SQLException e) {
                    broken = true;
                }
            }
        }
    }
    // endregion proxy-statements

    /** For tests: how many statements this proxy tracks as open. */
    int openStatements() {
        return statements == null ? 0 : statements.size();
    }

    // region proxy-close
    @Override
    public void close() throws SQLException {
        if (closed) {
            return;                          // closing twice is allowed by JDBC and harmless
        }
        closed = true;
        pool.release(this);
    }
    // endregion proxy-close

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        broken = true;
        pool.release(this);                  // the pool sees it broken and evicts it
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        checkOpen();
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        checkOpen();
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "ProxyConnection(" + (closed ? "closed" : "open") + ", pool " + pool.name() + ", " + delegate + ")";
    }

    @Override
    public Statement createStatement() throws SQLException {
        checkOpen();
        try {
            return track(new ProxyStatement(this, delegate.createStatement()));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String a0) throws SQLException {
        checkOpen();
        try {
            return track(new ProxyPreparedStatement(this, delegate.prepareStatement(a0)));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public CallableStatement prepareCall(String a0) throws SQLException {
        checkOpen();
        try {
            return track(new ProxyCallableStatement(this, delegate.prepareCall(a0)));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String nativeSQL(String a0) throws SQLException {
        checkOpen();
        try {
            return delegate.nativeSQL(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    // region proxy-track
    @Override
    public void setAutoCommit(boolean a0) throws SQLException {
        checkOpen();
        try {
            delegate.setAutoCommit(a0);
            changed |= AUTOCOMMIT;
        } catch (SQLException e) {
            throw failed(e);
        }
    }
    // endregion proxy-track

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        try {
            return delegate.getAutoCommit();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void commit() throws SQLException {
        checkOpen();
        try {
            delegate.commit();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        try {
            delegate.rollback();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        try {
            return new ProxyDatabaseMetaData(this, delegate.getMetaData());
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setReadOnly(boolean a0) throws SQLException {
        checkOpen();
        try {
            delegate.setReadOnly(a0);
            changed |= READONLY;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        try {
            return delegate.isReadOnly();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setCatalog(String a0) throws SQLException {
        checkOpen();
        try {
            delegate.setCatalog(a0);
            changed |= CATALOG;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        try {
            return delegate.getCatalog();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setTransactionIsolation(int a0) throws SQLException {
        checkOpen();
        try {
            delegate.setTransactionIsolation(a0);
            changed |= ISOLATION;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        try {
            return delegate.getTransactionIsolation();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        try {
            return delegate.getWarnings();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        try {
            delegate.clearWarnings();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Statement createStatement(int a0, int a1) throws SQLException {
        checkOpen();
        try {
            return track(new ProxyStatement(this, delegate.createStatement(a0, a1)));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1, int a2) throws SQLException {
        checkOpen();
        try {
            return track(new ProxyPreparedStatement(this, delegate.prepareStatement(a0, a1, a2)));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public CallableStatement prepareCall(String a0, int a1, int a2) throws SQLException {
        checkOpen();
        try {
            return track(new ProxyCallableStatement(this, delegate.prepareCall(a0, a1, a2)));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        try {
            return delegate.getTypeMap();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
        checkOpen();
        try {
            delegate.setTypeMap(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setHoldability(int a0) throws SQLException {
        checkOpen();
        try {
            delegate.setHoldability(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        try {
            return delegate.getHoldability();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        checkOpen();
        try {
            return delegate.setSavepoint();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Savepoint setSavepoint(String a0) throws SQLException {
        checkOpen();
        try {
            return delegate.setSavepoint(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void rollback(Savepoint a0) throws SQLException {
        checkOpen();
        try {
            delegate.rollback(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void releaseSavepoint(Savepoint a0) throws SQLException {
        checkOpen();
        try {
            delegate.releaseSavepoint(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Statement createStatement(int a0, int a1, int a2) throws SQLException {
        checkOpen();
        try {
            return track(new ProxyStatement(this, delegate.createStatement(a0, a1, a2)));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1, int a2, int a3) throws SQLException {
        checkOpen();
        try {
            return track(new ProxyPreparedStatement(this, delegate.prepareStatement(a0, a1, a2, a3)));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public CallableStatement prepareCall(String a0, int a1, int a2, int a3) throws SQLException {
        checkOpen();
        try {
            return track(new ProxyCallableStatement(this, delegate.prepareCall(a0, a1, a2, a3)));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1) throws SQLException {
        checkOpen();
        try {
            return track(new ProxyPreparedStatement(this, delegate.prepareStatement(a0, a1)));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int[] a1) throws SQLException {
        checkOpen();
        try {
            return track(new ProxyPreparedStatement(this, delegate.prepareStatement(a0, a1)));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String a0, String[] a1) throws SQLException {
        checkOpen();
        try {
            return track(new ProxyPreparedStatement(this, delegate.prepareStatement(a0, a1)));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Clob createClob() throws SQLException {
        checkOpen();
        try {
            return delegate.createClob();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Blob createBlob() throws SQLException {
        checkOpen();
        try {
            return delegate.createBlob();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public NClob createNClob() throws SQLException {
        checkOpen();
        try {
            return delegate.createNClob();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        checkOpen();
        try {
            return delegate.createSQLXML();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isValid(int a0) throws SQLException {
        checkOpen();
        try {
            return delegate.isValid(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
        try {
            checkOpen();
        } catch (SQLException e) {
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), 0, java.util.Map.of(), e);
        }
        try {
            delegate.setClientInfo(a0, a1);
        } catch (SQLClientInfoException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public void setClientInfo(Properties a0) throws SQLClientInfoException {
        try {
            checkOpen();
        } catch (SQLException e) {
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), 0, java.util.Map.of(), e);
        }
        try {
            delegate.setClientInfo(a0);
        } catch (SQLClientInfoException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public String getClientInfo(String a0) throws SQLException {
        checkOpen();
        try {
            return delegate.getClientInfo(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        try {
            return delegate.getClientInfo();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Array createArrayOf(String a0, Object[] a1) throws SQLException {
        checkOpen();
        try {
            return delegate.createArrayOf(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Struct createStruct(String a0, Object[] a1) throws SQLException {
        checkOpen();
        try {
            return delegate.createStruct(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setSchema(String a0) throws SQLException {
        checkOpen();
        try {
            delegate.setSchema(a0);
            changed |= SCHEMA;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        try {
            return delegate.getSchema();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setNetworkTimeout(Executor a0, int a1) throws SQLException {
        checkOpen();
        try {
            delegate.setNetworkTimeout(a0, a1);
            changed |= NETWORK_TIMEOUT;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        try {
            return delegate.getNetworkTimeout();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void beginRequest() throws SQLException {
        checkOpen();
        try {
            delegate.beginRequest();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void endRequest() throws SQLException {
        checkOpen();
        try {
            delegate.endRequest();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey a0, ShardingKey a1, int a2) throws SQLException {
        checkOpen();
        try {
            return delegate.setShardingKeyIfValid(a0, a1, a2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey a0, int a1) throws SQLException {
        checkOpen();
        try {
            return delegate.setShardingKeyIfValid(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setShardingKey(ShardingKey a0, ShardingKey a1) throws SQLException {
        checkOpen();
        try {
            delegate.setShardingKey(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setShardingKey(ShardingKey a0) throws SQLException {
        checkOpen();
        try {
            delegate.setShardingKey(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }
}
